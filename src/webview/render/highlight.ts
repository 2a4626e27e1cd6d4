import hljs from 'highlight.js/lib/core';
import type { LanguageFn } from 'highlight.js';

type Grammar = () => Promise<{ default: LanguageFn }>;

// Every grammar is a chunk of its own, fetched the first time a block asks for it; the literal
// import paths are what lets esbuild split them out.
const GRAMMARS = {
  apache: () => import('highlight.js/lib/languages/apache'),
  awk: () => import('highlight.js/lib/languages/awk'),
  bash: () => import('highlight.js/lib/languages/bash'),
  c: () => import('highlight.js/lib/languages/c'),
  clojure: () => import('highlight.js/lib/languages/clojure'),
  cmake: () => import('highlight.js/lib/languages/cmake'),
  coffeescript: () => import('highlight.js/lib/languages/coffeescript'),
  cpp: () => import('highlight.js/lib/languages/cpp'),
  crystal: () => import('highlight.js/lib/languages/crystal'),
  csharp: () => import('highlight.js/lib/languages/csharp'),
  css: () => import('highlight.js/lib/languages/css'),
  d: () => import('highlight.js/lib/languages/d'),
  dart: () => import('highlight.js/lib/languages/dart'),
  diff: () => import('highlight.js/lib/languages/diff'),
  django: () => import('highlight.js/lib/languages/django'),
  dockerfile: () => import('highlight.js/lib/languages/dockerfile'),
  dos: () => import('highlight.js/lib/languages/dos'),
  elixir: () => import('highlight.js/lib/languages/elixir'),
  elm: () => import('highlight.js/lib/languages/elm'),
  erlang: () => import('highlight.js/lib/languages/erlang'),
  fortran: () => import('highlight.js/lib/languages/fortran'),
  fsharp: () => import('highlight.js/lib/languages/fsharp'),
  glsl: () => import('highlight.js/lib/languages/glsl'),
  go: () => import('highlight.js/lib/languages/go'),
  gradle: () => import('highlight.js/lib/languages/gradle'),
  graphql: () => import('highlight.js/lib/languages/graphql'),
  groovy: () => import('highlight.js/lib/languages/groovy'),
  handlebars: () => import('highlight.js/lib/languages/handlebars'),
  haskell: () => import('highlight.js/lib/languages/haskell'),
  ini: () => import('highlight.js/lib/languages/ini'),
  java: () => import('highlight.js/lib/languages/java'),
  javascript: () => import('highlight.js/lib/languages/javascript'),
  json: () => import('highlight.js/lib/languages/json'),
  julia: () => import('highlight.js/lib/languages/julia'),
  kotlin: () => import('highlight.js/lib/languages/kotlin'),
  latex: () => import('highlight.js/lib/languages/latex'),
  less: () => import('highlight.js/lib/languages/less'),
  lisp: () => import('highlight.js/lib/languages/lisp'),
  llvm: () => import('highlight.js/lib/languages/llvm'),
  lua: () => import('highlight.js/lib/languages/lua'),
  makefile: () => import('highlight.js/lib/languages/makefile'),
  markdown: () => import('highlight.js/lib/languages/markdown'),
  matlab: () => import('highlight.js/lib/languages/matlab'),
  mojolicious: () => import('highlight.js/lib/languages/mojolicious'),
  nginx: () => import('highlight.js/lib/languages/nginx'),
  nim: () => import('highlight.js/lib/languages/nim'),
  nix: () => import('highlight.js/lib/languages/nix'),
  objectivec: () => import('highlight.js/lib/languages/objectivec'),
  ocaml: () => import('highlight.js/lib/languages/ocaml'),
  perl: () => import('highlight.js/lib/languages/perl'),
  php: () => import('highlight.js/lib/languages/php'),
  powershell: () => import('highlight.js/lib/languages/powershell'),
  prolog: () => import('highlight.js/lib/languages/prolog'),
  properties: () => import('highlight.js/lib/languages/properties'),
  protobuf: () => import('highlight.js/lib/languages/protobuf'),
  python: () => import('highlight.js/lib/languages/python'),
  r: () => import('highlight.js/lib/languages/r'),
  ruby: () => import('highlight.js/lib/languages/ruby'),
  rust: () => import('highlight.js/lib/languages/rust'),
  scala: () => import('highlight.js/lib/languages/scala'),
  scheme: () => import('highlight.js/lib/languages/scheme'),
  scss: () => import('highlight.js/lib/languages/scss'),
  shell: () => import('highlight.js/lib/languages/shell'),
  sql: () => import('highlight.js/lib/languages/sql'),
  swift: () => import('highlight.js/lib/languages/swift'),
  tcl: () => import('highlight.js/lib/languages/tcl'),
  typescript: () => import('highlight.js/lib/languages/typescript'),
  verilog: () => import('highlight.js/lib/languages/verilog'),
  vhdl: () => import('highlight.js/lib/languages/vhdl'),
  vbnet: () => import('highlight.js/lib/languages/vbnet'),
  wasm: () => import('highlight.js/lib/languages/wasm'),
  xml: () => import('highlight.js/lib/languages/xml'),
  yaml: () => import('highlight.js/lib/languages/yaml'),
} satisfies Record<string, Grammar>;

export type Language = keyof typeof GRAMMARS;

// What models write after the fence for the grammars above: highlight.js's own aliases plus a few
// common names. A name that is neither here nor above stays plain. (HTTP is left out on purpose:
// its grammar guesses the body's language.)
const ALIASES: Record<string, Language> = {
  'c#': 'csharp',
  'c++': 'cpp',
  'f#': 'fsharp',
  'html.hbs': 'handlebars',
  'obj-c': 'objectivec',
  'obj-c++': 'objectivec',
  'objective-c': 'objectivec',
  'objective-c++': 'objectivec',
  apacheconf: 'apache',
  atom: 'xml',
  bat: 'dos',
  batch: 'dos',
  cc: 'cpp',
  cjs: 'javascript',
  clj: 'clojure',
  cmd: 'dos',
  coffee: 'coffeescript',
  console: 'shell',
  cr: 'crystal',
  cs: 'csharp',
  cts: 'typescript',
  cxx: 'cpp',
  docker: 'dockerfile',
  edn: 'clojure',
  erl: 'erlang',
  ex: 'elixir',
  exs: 'elixir',
  f90: 'fortran',
  f95: 'fortran',
  fs: 'fsharp',
  gemspec: 'ruby',
  golang: 'go',
  gql: 'graphql',
  h: 'c',
  hbs: 'handlebars',
  hh: 'cpp',
  hpp: 'cpp',
  hs: 'haskell',
  htm: 'xml',
  html: 'xml',
  // Arduino sketches are C++; its own grammar only adds library names, and the bytes (the .vsix
  // stays under 500 KB; x86 assembly and Vim script stay plain for the same reason).
  arduino: 'cpp',
  ino: 'cpp',
  jinja: 'django',
  js: 'javascript',
  json5: 'json',
  jsonc: 'json',
  jsx: 'javascript',
  kt: 'kotlin',
  kts: 'kotlin',
  make: 'makefile',
  md: 'markdown',
  mjs: 'javascript',
  mk: 'makefile',
  ml: 'ocaml',
  mm: 'objectivec',
  mts: 'typescript',
  nginxconf: 'nginx',
  objc: 'objectivec',
  patch: 'diff',
  pl: 'perl',
  plist: 'xml',
  pm: 'perl',
  proto: 'protobuf',
  ps: 'powershell',
  ps1: 'powershell',
  pwsh: 'powershell',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  rss: 'xml',
  scm: 'scheme',
  sh: 'bash',
  shellsession: 'shell',
  sv: 'verilog',
  svg: 'xml',
  tex: 'latex',
  toml: 'ini',
  ts: 'typescript',
  tsx: 'typescript',
  vb: 'vbnet',
  xhtml: 'xml',
  xsd: 'xml',
  xsl: 'xml',
  yml: 'yaml',
  zsh: 'bash',
};

/**
 * The grammars each grammar hands parts of its text to (HTML's <script>, a shell session's
 * commands). A language is usable only once these are registered too, so a block's highlighting
 * never depends on which other blocks came first.
 */
const EMBEDS: Partial<Record<Language, readonly Language[]>> = {
  coffeescript: ['javascript'],
  dart: ['markdown'],
  django: ['xml'],
  dockerfile: ['bash'],
  handlebars: ['xml'],
  javascript: ['xml', 'css', 'graphql'],
  markdown: ['xml'],
  mojolicious: ['xml'],
  nix: ['markdown'],
  perl: ['mojolicious'],
  shell: ['bash'],
  typescript: ['xml', 'css', 'graphql'],
  xml: ['css', 'javascript'],
  yaml: ['ruby'],
};

const registered = new Map<Language, Promise<void>>();
const requested = new Set<Language>();
const ready = new Set<Language>();
const listeners: ((language: Language) => void)[] = [];

/** The grammar a fence name means, if we have one. */
export function languageOf(name: string): Language | undefined {
  const key = name.toLowerCase();
  if (Object.hasOwn(GRAMMARS, key)) return key as Language;
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}

/**
 * Highlighted HTML for a fenced block, or '' so markdown-it escapes the code itself: the language
 * is unknown, or its grammar is still loading (the load starts here, and `onLanguageLoaded` says
 * when blocks rendered plain meanwhile can be highlighted). No auto-detection: it is slow and its
 * guess could flip while a block streams in.
 */
export function highlightCode(code: string, name: string): string {
  const language = name ? languageOf(name) : undefined;
  if (!language) return '';
  if (ready.has(language)) return hljs.highlight(code, { language, ignoreIllegals: true }).value;
  load(language);
  return '';
}

export function onLanguageLoaded(listener: (language: Language) => void): void {
  listeners.push(listener);
}

function load(language: Language): void {
  // Once only: a grammar that failed to load stays plain rather than being fetched every frame.
  if (requested.has(language)) return;
  requested.add(language);
  Promise.all(withEmbeds(language).map(register)).then(
    () => {
      ready.add(language);
      for (const listener of listeners) listener(language);
    },
    () => undefined,
  );
}

function withEmbeds(language: Language): Language[] {
  const all = new Set<Language>([language]);
  for (const name of all) for (const embed of EMBEDS[name] ?? []) all.add(embed);
  return [...all];
}

function register(language: Language): Promise<void> {
  let done = registered.get(language);
  if (!done) {
    done = GRAMMARS[language]().then((grammar) => hljs.registerLanguage(language, grammar.default));
    registered.set(language, done);
  }
  return done;
}
