// One CSP-safe chart bundle: vega + vega-lite + vega-embed + the expression interpreter
// (the page's CSP has no 'unsafe-eval', so Vega must interpret expressions instead of
// compiling them with new Function).
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import vegaEmbed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';

globalThis.swVega = { vega, vegaLite, vegaEmbed, expressionInterpreter };
