import assert from 'node:assert/strict';
import type { AppliedRule } from '../../../src/common/rules/applicableRules';
import { projectInstructions } from '../../../src/common/rules/projectInstructions';
import { renderRules, renderSystemPrompt, systemPromptLayers } from '../../../src/common/rules/rulesPrompt';

const rule = (display: string, text: string, extra: Partial<AppliedRule> = {}): AppliedRule => ({
  folder: 'app',
  path: display,
  display,
  absolute: `/w/app/${display}`,
  kind: 'agents',
  reason: { kind: 'root' },
  text,
  ...extra,
});

const INTRO =
  "The project's rule files follow, each inside a <rules> tag with its path. Follow them. Where two " +
  'disagree, the later one is more specific and wins.';

describe('systemPromptLayers', () => {
  it('orders the settings global, profile, model, dropping blank ones', () => {
    assert.deepEqual(systemPromptLayers({ model: 'model', global: 'global', profile: '  ' }), [
      'global',
      'model',
    ]);
  });

  it('sends a layer that repeats an earlier one once, after normalising line breaks', () => {
    assert.deepEqual(
      systemPromptLayers({ global: 'Be brief.\r\n', profile: 'Be brief.', model: 'Use TS.' }),
      ['Be brief.', 'Use TS.'],
    );
  });
});

describe('renderRules', () => {
  it('is empty when no rule applies', () => {
    assert.equal(renderRules([]), '');
  });

  it('puts each file inside a tag naming its path, in the order given', () => {
    assert.equal(
      renderRules([rule('AGENTS.md', 'Root.'), rule('src/AGENTS.md', 'Src.')]),
      `${INTRO}\n\n<rules path="AGENTS.md">\nRoot.\n</rules>\n\n<rules path="src/AGENTS.md">\nSrc.\n</rules>`,
    );
  });

  it('says where a cut file stops and how much of it is missing', () => {
    const cut = rule('AGENTS.md', 'First part.', { cut: { fullBytes: 40000, keptBytes: 32760 } });
    assert.equal(
      renderRules([cut]),
      `${INTRO}\n\n<rules path="AGENTS.md">\nFirst part.\n[Cut: AGENTS.md is 40000 bytes; only its first 32760 bytes are included here. Read the file itself for the rest.]\n</rules>`,
    );
  });

  it('escapes a quote in a path so the tag stays whole', () => {
    assert.ok(renderRules([rule('a"b/AGENTS.md', 'x')]).includes('<rules path="a&quot;b/AGENTS.md">'));
  });
});

describe('renderSystemPrompt', () => {
  it('puts the settings before the rules, separated by blank lines', () => {
    assert.equal(
      renderSystemPrompt({ global: 'G', profile: 'P', model: 'M' }, [rule('AGENTS.md', 'R')]),
      `G\n\nP\n\nM\n\n${INTRO}\n\n<rules path="AGENTS.md">\nR\n</rules>`,
    );
  });

  it('is empty with neither', () => {
    assert.equal(renderSystemPrompt({}, []), '');
  });
});

describe('projectInstructions', () => {
  const disk: Record<string, string> = {
    '/w/app/AGENTS.md': 'Root.',
    '/w/app/.github/instructions/ts.instructions.md': '---\napplyTo: "**/*.ts"\n---\nTS.',
  };
  const base = {
    folders: [{ name: 'app', path: '/w/app' }],
    ruleFiles: Object.keys(disk),
    requestFiles: ['/w/app/src/a.ts'],
    systemPrompts: { global: 'Global.', model: 'Model.' },
  };

  it('gives the rules for the chip and the message that lists them under the settings', async () => {
    const result = await projectInstructions({ ...base, rulesEnabled: true, read: async (p) => disk[p] });
    assert.deepEqual(
      result.rules.map((r) => r.path),
      ['AGENTS.md', '.github/instructions/ts.instructions.md'],
    );
    assert.equal(
      result.text,
      `Global.\n\nModel.\n\n${INTRO}\n\n<rules path="AGENTS.md">\nRoot.\n</rules>\n\n` +
        `<rules path=".github/instructions/ts.instructions.md">\nTS.\n</rules>`,
    );
  });

  it('with rules off reads no file and keeps only the settings’ prompts', async () => {
    const reads: string[] = [];
    const result = await projectInstructions({
      ...base,
      rulesEnabled: false,
      read: async (p) => {
        reads.push(p);
        return disk[p];
      },
    });
    assert.deepEqual(result, { rules: [], text: 'Global.\n\nModel.' });
    assert.deepEqual(reads, []);
  });
});
