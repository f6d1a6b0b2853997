// Builds the dashboard's vendored front-end files into the Python package:
//   npm ci && npm run build
// Output (committed, so users need no Node): src/sahelwatch/web/static/vendor/
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'sahelwatch', 'web', 'static', 'vendor');
const nm = join(here, 'node_modules');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'maplibre'), { recursive: true });
mkdirSync(join(out, 'vega'), { recursive: true });

// MapLibre GL JS ships ES modules: the main module loads its worker module by a URL
// relative to itself, so both files sit side by side unchanged.
// Source-map comments are dropped: the maps are not shipped.
for (const f of ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css']) {
  const text = readFileSync(join(nm, 'maplibre-gl', 'dist', f), 'utf8');
  writeFileSync(join(out, 'maplibre', f), text.replace(/\n\/[/*]# sourceMappingURL=\S+\s*$/, '\n'));
}
copyFileSync(join(nm, 'maplibre-gl', 'LICENSE.txt'), join(out, 'maplibre', 'LICENSE.txt'));

await build({
  entryPoints: [join(here, 'vega-entry.js')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'eof',
  outfile: join(out, 'vega', 'vega-bundle.min.js'),
  logLevel: 'warning',
});
for (const p of ['vega', 'vega-lite', 'vega-embed', 'vega-interpreter']) {
  copyFileSync(join(nm, p, 'LICENSE'), join(out, 'vega', `LICENSE-${p}`));
}

const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const versions = {};
for (const name of Object.keys(pkg.dependencies)) {
  versions[name] = JSON.parse(readFileSync(join(nm, name, 'package.json'), 'utf8')).version;
}
writeFileSync(join(out, 'VERSIONS.json'), JSON.stringify(versions, null, 2) + '\n');
console.log('vendored into', out, versions);
