// The CommonJS entry: require("gradstep") gets the ES module itself, through
// Node's require(esm) (Node 20.19+, 22.12+), so both entries share one copy of
// the library and its state. Requiring from inside node_modules, as this file
// does, raises no experimental warning.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS entry is a require by nature
import gradstep = require("./index.js");
export = gradstep;
