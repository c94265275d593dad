import type en from "./en.js";

/** Deutsch: Errors for bad input: the place (file:line:column: path) is written as it is, the detail from here. */
export default {
  "value.nothing": "nichts",
  "value.text": "der Text {text}",
  "value.emptyArray": "ein leeres Array",
  "value.array": "ein Array mit {count, plural, one {# Eintrag} other {# Einträgen}}",
  "value.object": "ein Objekt",
  "error.unknownExample": 'keine eingebaute Aufgabe "{name}"; erwartet eine von: {names}',
  "error.fileAndExample": 'erwartet eine Aufgabendatei FILE oder --example NAME, gefunden beides ("{file}" und "{example}")',
  "error.noProblem": "erwartet eine Aufgabendatei FILE oder --example NAME, gefunden keins von beiden (gradstep examples listet die eingebauten auf)",
  "error.fileOrExample": "erwartet eine Aufgabendatei FILE oder --example NAME (genau eins)",
  "error.noClaims": 'erwartet Angaben zum Prüfen, gefunden keine (eine "claims"-Liste in der Datei oder --claims FILE)',
} satisfies Readonly<Record<keyof typeof en, string>>;
