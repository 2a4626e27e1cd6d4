import assert from 'node:assert/strict';
import {
  familyOf,
  fimTemplate,
  FIM_FAMILIES,
  resolveFamily,
  type FimFamily,
  type FimInput,
} from '../../../../src/common/completion/request/fimTemplates';

const BARE: FimInput = { prefix: 'def add(a, b):\n    ', suffix: '\n\nprint(add(1, 2))\n' };
const WITH_CONTEXT: FimInput = {
  ...BARE,
  path: 'src/calc.py',
  repo: 'calc',
  snippets: [
    { path: 'src/util.py', text: 'def clamp(x):\n    return x' },
    { path: 'README.md', text: 'Calc\n' },
  ],
};

describe('FIM templates: each family’s prompt, byte for byte', () => {
  it('Qwen-coder: file level without context; repo level with repo name, files and the path', () => {
    const qwen = fimTemplate('qwen-coder');
    assert.equal(
      qwen.build(BARE),
      '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>',
    );
    assert.equal(
      qwen.build(WITH_CONTEXT),
      '<|repo_name|>calc\n' +
        '<|file_sep|>src/util.py\ndef clamp(x):\n    return x\n' +
        '<|file_sep|>README.md\nCalc\n' +
        '<|file_sep|>src/calc.py\n' +
        '<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>',
    );
    assert.equal(
      qwen.build({ ...BARE, path: 'a.py' }),
      '<|file_sep|>a.py\n<|fim_prefix|>def add(a, b):\n    <|fim_suffix|>\n\nprint(add(1, 2))\n<|fim_middle|>',
    );
  });

  it('DeepSeek-Coder: full-width bars and ▁, no place for other files', () => {
    const deepseek = fimTemplate('deepseek-coder');
    const expected = '<\uff5cfim\u2581begin\uff5c>a<\uff5cfim\u2581hole\uff5c>b<\uff5cfim\u2581end\uff5c>';
    assert.equal(deepseek.build({ prefix: 'a', suffix: 'b' }), expected);
    assert.equal(
      deepseek.build({ prefix: 'a', suffix: 'b', path: 'x.py', snippets: WITH_CONTEXT.snippets }),
      expected,
    );
    assert.equal(deepseek.takesSnippets, false);
    assert.ok(deepseek.stop.includes('<\uff5cend\u2581of\u2581sentence\uff5c>'));
  });

  it('StarCoder2: repo level puts <fim_prefix> before the file path', () => {
    const sc2 = fimTemplate('starcoder2');
    assert.equal(sc2.build({ prefix: 'a', suffix: 'b' }), '<fim_prefix>a<fim_suffix>b<fim_middle>');
    assert.equal(
      sc2.build(WITH_CONTEXT),
      '<repo_name>calc' +
        '<file_sep>src/util.py\ndef clamp(x):\n    return x\n' +
        '<file_sep>README.md\nCalc\n' +
        '<file_sep><fim_prefix>src/calc.py\ndef add(a, b):\n    <fim_suffix>\n\nprint(add(1, 2))\n<fim_middle>',
    );
  });

  it('StarCoder: <filename> opens the prefix; snippets are left out', () => {
    const sc = fimTemplate('starcoder');
    assert.equal(sc.build({ prefix: 'a', suffix: 'b' }), '<fim_prefix>a<fim_suffix>b<fim_middle>');
    assert.equal(
      sc.build({ ...WITH_CONTEXT, prefix: 'a', suffix: 'b' }),
      '<fim_prefix><filename>src/calc.py\na<fim_suffix>b<fim_middle>',
    );
  });

  it('Codestral: suffix first; other files as +++++ headers in the prefix', () => {
    const codestral = fimTemplate('codestral');
    assert.equal(codestral.build({ prefix: 'a', suffix: 'b' }), '[SUFFIX]b[PREFIX]a');
    assert.equal(
      codestral.build({ ...WITH_CONTEXT, prefix: 'a', suffix: 'b' }),
      '[SUFFIX]b[PREFIX]+++++ src/util.py\ndef clamp(x):\n    return x\n\n+++++ README.md\nCalc\n\n+++++ src/calc.py\na',
    );
  });

  it('CodeLlama: the format’s own spaces around the sentinels', () => {
    assert.equal(fimTemplate('codellama').build({ prefix: 'a', suffix: 'b' }), '<PRE> a <SUF>b <MID>');
    assert.deepEqual(fimTemplate('codellama').stop, ['<PRE>', '<SUF>', '<MID>', '<EOT>']);
  });

  it('CodeGemma: other files end with <|file_separator|>', () => {
    const gemma = fimTemplate('codegemma');
    assert.equal(gemma.build({ prefix: 'a', suffix: 'b' }), '<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>');
    assert.equal(
      gemma.build({ prefix: 'a', suffix: 'b', snippets: [{ path: 'u.py', text: 'x = 1' }] }),
      'u.py\nx = 1\n<|file_separator|><|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>',
    );
  });

  it('every family stops on its own sentinels', () => {
    const sentinels: Record<FimFamily, string> = {
      'qwen-coder': '<|fim_prefix|>',
      'deepseek-coder': '<\uff5cfim\u2581begin\uff5c>',
      starcoder: '<fim_prefix>',
      starcoder2: '<file_sep>',
      codestral: '[PREFIX]',
      codellama: '<EOT>',
      codegemma: '<|file_separator|>',
    };
    for (const family of FIM_FAMILIES)
      assert.ok(fimTemplate(family).stop.includes(sentinels[family]), family);
  });
});

describe('familyOf: the family from the model id', () => {
  const cases: [string, FimFamily | undefined][] = [
    ['qwen2.5-coder:7b', 'qwen-coder'],
    ['Qwen/Qwen2.5-Coder-32B-Instruct', 'qwen-coder'],
    ['qwen3-coder-30b-a3b-instruct', 'qwen-coder'],
    ['qwen/qwen3-coder', 'qwen-coder'],
    ['qwen/qwen-2.5-coder-32b-instruct', 'qwen-coder'],
    ['codeqwen:7b-code', 'starcoder'],
    ['deepseek-coder-v2-lite', 'deepseek-coder'],
    ['deepseek-ai/deepseek-coder-6.7b-base', 'deepseek-coder'],
    ['bigcode/starcoder2-15b', 'starcoder2'],
    ['starcoder2:3b', 'starcoder2'],
    ['bigcode/starcoderbase-1b', 'starcoder'],
    ['codestral-latest', 'codestral'],
    ['mistralai/Codestral-22B-v0.1', 'codestral'],
    ['codellama:13b-code', 'codellama'],
    ['codegemma:2b', 'codegemma'],
    ['gpt-4o-mini', undefined],
    ['deepseek-chat', undefined],
    ['qwen2.5:7b', undefined],
  ];
  for (const [id, family] of cases) {
    it(`${id} → ${family ?? 'none'}`, () => assert.equal(familyOf(id), family));
  }

  it('a setting that names a family wins; an unknown one is ignored', () => {
    assert.deepEqual(resolveFamily('my-finetune', 'codegemma'), { family: 'codegemma', source: 'setting' });
    assert.deepEqual(resolveFamily('codellama:7b', 'nonsense'), { family: 'codellama', source: 'model' });
    assert.equal(resolveFamily('gpt-4o', undefined), undefined);
  });
});
