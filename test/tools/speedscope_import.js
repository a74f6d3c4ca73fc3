// Loads a file into speedscope's own import code (the npm package's release
// bundle, run in jsdom) and prints what speedscope made of it as JSON:
// every profile's name, unit and total weight, and per frame its name, file,
// line, self and total weight. So a test checks values as the viewer reads
// them, not as tprof meant to write them.
//
//   node speedscope_import.js NODE_MODULES FILE [NAME]
//
// NAME (default: FILE's base name) is the name speedscope sees: it picks
// the importer by it (*.speedscope.json, *.trace.json, ...) as it does for a
// dropped file. The bundle's lazily loaded import module is caught on its
// way to the app (one text substitution, checked); the app's own start-up
// fails in jsdom (no matchMedia) after that, which is expected.
'use strict';
const fs = require('fs');
const path = require('path');

const [modules, file, name] = process.argv.slice(2);
const { JSDOM } = require(path.join(modules, 'jsdom'));
const dir = path.join(modules, 'speedscope', 'dist', 'release');
const bundle = fs.readdirSync(dir).find((f) => /^speedscope-.*\.js$/.test(f));
let code = fs.readFileSync(path.join(dir, bundle), 'utf8');
const hook = /var (\w+)=Promise\.resolve\(\)\.then\(\(\)=>\((\w+)\(\),(\w+)\)\);/;
const m = code.match(hook);
if (!m) {
  console.error('speedscope_import: the import module was not found in ' + bundle);
  process.exit(2);
}
code = code.replace(hook, `var ${m[1]}=Promise.resolve().then(()=>(${m[2]}(),globalThis.__tprofImport=${m[3]},${m[3]}));`);
const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>', {
  runScripts: 'outside-only', pretendToBeVisual: true, url: 'http://localhost/',
});
const w = dom.window;
w.console.log = () => {};
w.console.error = () => {};
try {
  w.eval(code);
} catch (e) {
  // the app's start-up needs a browser; the import module is loaded before
}

(async () => {
  for (let i = 0; i < 100 && !w.__tprofImport; i++) await new Promise((r) => setTimeout(r, 10));
  const imp = w.__tprofImport;
  if (!imp || !imp.importProfileGroupFromText) {
    console.error('speedscope_import: speedscope did not load its import module');
    process.exit(2);
  }
  const g = await imp.importProfileGroupFromText(name || path.basename(file), fs.readFileSync(file, 'utf8'));
  if (!g) {
    console.error('speedscope_import: speedscope could not import ' + file);
    process.exit(1);
  }
  const out = { name: g.name, profiles: [] };
  for (const p of g.profiles) {
    const frames = [];
    p.forEachFrame((f) => frames.push({ name: f.name, file: f.file || null, line: f.line || null,
                                        self: f.getSelfWeight(), total: f.getTotalWeight() }));
    out.profiles.push({ name: p.getName(), unit: p.getWeightUnit(), total: p.getTotalWeight(), frames });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  w.close();
  process.exit(0);
})().catch((e) => {
  console.error('speedscope_import: ' + (e && e.stack || e));
  process.exit(1);
});
