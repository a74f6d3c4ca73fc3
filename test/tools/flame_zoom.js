// Runs the script of a tprof flame graph (SVG) on a small stand-in for the
// browser's DOM, built from the file's own frames, and prints what a click
// and a search do to the frames' geometry and colours.
//   node flame_zoom.js FILE.svg FRAME_NAME SEARCH_REGEXP
'use strict';
const fs = require('fs');
const [file, target, query] = process.argv.slice(2);
const svg = fs.readFileSync(file, 'utf8');

function element(attrs) {
  return {
    attrs, style: {}, listeners: {}, textContent: attrs.text || '', children: {},
    getAttribute(k) { return this.attrs[k]; },
    setAttribute(k, v) { this.attrs[k] = String(v); },
    querySelector(sel) { return this.children[sel]; },
    addEventListener(type, fn) { this.listeners[type] = fn; },
  };
}
const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const frames = [];
const re = /<g class="frame" data-name="([^"]*)"><title>[^<]*<\/title><rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="[^"]+" fill="([^"]+)"[^>]*\/><text x="[^"]+" y="[^"]+">([^<]*)<\/text><\/g>/g;
for (let m; (m = re.exec(svg));) {
  const g = element({'data-name': unescape(m[1])});
  g.children.rect = element({x: m[2], y: m[3], width: m[4], fill: m[5]});
  g.children.text = element({text: unescape(m[6])});
  frames.push(g);
}
const byId = {reset: element({}), search: element({}), matched: element({})};
global.document = {
  querySelectorAll: (sel) => (sel === 'g.frame' ? frames : []),
  getElementById: (id) => byId[id],
};
global.prompt = () => query;
global.alert = (msg) => console.log('alert', msg);
const script = /<script[^>]*><!\[CDATA\[([\s\S]*?)\]\]><\/script>/.exec(svg)[1];
eval(script);

const geometry = (g) => ({x: +g.children.rect.attrs.x, w: +g.children.rect.attrs.width, y: +g.children.rect.attrs.y});
const name = (g) => g.attrs['data-name'];
const shown = () => frames.filter((g) => g.style.display !== 'none');
console.log('frames', frames.length, 'reset hidden', byId.reset.style.display === 'none');

const t = frames.find((g) => name(g) === target);
const before = geometry(t);
t.listeners.click();
const after = geometry(t);
console.log('zoomed', target, 'x', after.x.toFixed(2), 'width', after.w.toFixed(2), 'reset shown', byId.reset.style.display === '');
const inside = shown().filter((g) => geometry(g).y < before.y);
const sumKids = inside.filter((g) => Math.abs(geometry(g).y - (before.y - 16)) < 0.01).reduce((a, g) => a + geometry(g).w, 0);
console.log('descendants shown', inside.length, 'children span', sumKids <= after.w + 0.01 ? 'within' : 'beyond', 'the zoomed frame');
console.log('ancestors full width', shown().filter((g) => geometry(g).y > before.y).every((g) => Math.abs(geometry(g).w - after.w) < 0.01));
console.log('frames outside hidden', frames.length - shown().length);
console.log('labels fit', shown().every((g) => g.children.text.textContent.length * 7 <= geometry(g).w));
console.log('label of zoomed frame', JSON.stringify(t.children.text.textContent));
byId.reset.listeners.click();
console.log('reset restores', JSON.stringify(geometry(t)) === JSON.stringify(before), 'all shown', shown().length === frames.length);
byId.search.listeners.click();
const hits = frames.filter((g) => g.children.rect.attrs.fill === 'rgb(230,0,230)').map(name);
console.log('search', query, 'highlights', [...new Set(hits)].sort().join(' '), '|', byId.matched.textContent);
