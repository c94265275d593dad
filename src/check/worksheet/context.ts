/**
 * What the words around the math say: which step or iteration follows
 * ("Iteration 1", "step 2", "第二次", "2. Durchlauf", "Bsp 2"), which sample
 * ("样本 1", "sample 2"), whether updates follow, and where another exercise
 * begins ("Aufgabe 2", "Exercise 3", "例 2").
 */

export interface Marks {
  /** 1-based, as written. */
  step?: number;
  /** The forward pass after the last update. */
  final?: boolean;
  /** A sample, or 0 for the whole batch ("total loss", "Gesamtfehler", "总损失"). */
  sample?: number;
  phase?: "forward" | "backward" | "update";
  exercise?: string;
}

const CHINESE: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const ORDINALS: Readonly<Record<string, number>> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  erste: 1,
  zweite: 2,
  dritte: 3,
  vierte: 4,
  fünfte: 5,
  premi: 1,
  deuxi: 2,
  primer: 1,
  segund: 2,
};

function numberOf(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (text.length === 2 && text[0] === "十") return 10 + (CHINESE[text[1]!] ?? 0);
  return CHINESE[text] ?? NaN;
}

const STEP_WORDS =
  "iterations?|iter\\.?|steps?|schritt|durchlauf|durchgang|epoche?|epoch|runde|round|paso|iteraci[oó]n|[ée]tape|it[ée]ration|bsp\\.?|update|ステップ|反復|イテレーション|エポック";
const STEP_AFTER = new RegExp(`(?:${STEP_WORDS})\\s*(?:#|no\\.?|nr\\.?)?\\s*(\\d+)`, "iu");
const STEP_BEFORE = /(\d+)\s*(?:\.|st|nd|rd|th|-te|te)?\s*(?:iteration|step|schritt|durchlauf|durchgang|epoch|update|回目|回)/iu;
const STEP_ORDINAL =
  /\b(first|second|third|fourth|fifth|erste[nrs]?|zweite[nrs]?|dritte[nrs]?|vierte[nrs]?|fünfte[nrs]?|premi[eè]re?|deuxi[eè]me|primer[oa]?|segund[oa])\s+(?:iteration|step|schritt|durchlauf|durchgang|update|pass|epoch|[ée]tape|it[ée]ration|paso|iteraci[oó]n)/iu;
const STEP_CHINESE = /第\s*([一二两三四五六七八九十]+|\d+)\s*(?:次|步|轮|輪|回|代|个?迭代)/u;
const FINAL =
  /(final (?:forward|pass|output|network)|after (?:the )?(?:last|final|all) (?:step|update)s?|nach (?:dem|allen) (?:letzten )?(?:update|schritt|training)|最终|最後の|最后一次|更新后的前向|更新後の順伝播)/iu;
const SAMPLE = /(?:sample|samples?|样本|樣本|サンプル|datenpunkt|stichprobe|trainingsbeispiel|muster|muestra|[ée]chantillon|data point)\s*#?\s*(\d+)/iu;
const SAMPLE_CHINESE = /第\s*([一二两三四五六七八九十]+|\d+)\s*个?\s*(?:样本|樣本)/u;
const WHOLE_BATCH =
  /(total|overall|whole batch|mean loss|average|gesamt|insgesamt|durchschnitt|总|總|平均|全体|合計|batch loss|p[ée]rdida total|perte totale)/iu;
const EXERCISE = /(?:exercise|aufgabe|übung|problem|task|练习|習題|习题|例题|例題|問題|演習|ejercicio|exercice|teilaufgabe|case|fall)\s*(\d+[a-z]?)/iu;
const FORWARD = /(forward|vorwärts|前向|正向|順伝播|順方向|propagaci[oó]n hacia adelante|propagation avant)/iu;
const BACKWARD = /(backward|backprop|rückwärts|反向|逆伝播|誤差逆|gradient(?:s|en)? |ableitung|偏导|偏導|hacia atr[aá]s|r[ée]tropropagation)/iu;
const UPDATE = /(update|aktualisier|更新|new weights|neue gewichte|gewichtsanpassung|gradient descent|gradientenabstieg|actualiza|mise à jour)/iu;

/** The marks in one stretch of prose, each undefined where the words say nothing. */
export function readMarks(text: string): Marks {
  const marks: Marks = {};
  const step = STEP_AFTER.exec(text) ?? STEP_BEFORE.exec(text);
  const chinese = STEP_CHINESE.exec(text);
  const ordinal = STEP_ORDINAL.exec(text);
  const value = step
    ? Number(step[1])
    : chinese
      ? numberOf(chinese[1]!)
      : ordinal
        ? ORDINALS[Object.keys(ORDINALS).find((k) => ordinal[1]!.toLowerCase().startsWith(k))!]
        : undefined;
  if (value !== undefined && Number.isFinite(value) && value > 0) marks.step = value;
  if (FINAL.test(text)) marks.final = true;
  const sample = SAMPLE_CHINESE.exec(text) ?? SAMPLE.exec(text);
  if (sample) {
    const n = numberOf(sample[1]!);
    if (Number.isFinite(n) && n > 0) marks.sample = n;
  } else if (WHOLE_BATCH.test(text)) marks.sample = 0;
  const exercise = EXERCISE.exec(text);
  if (exercise) marks.exercise = exercise[1]!.toLowerCase();
  // The last phase word wins: "after the forward pass, the update".
  const phases = (["forward", "backward", "update"] as const)
    .map((phase) => ({ phase, at: text.search(phase === "forward" ? FORWARD : phase === "backward" ? BACKWARD : UPDATE) }))
    .filter((p) => p.at >= 0);
  if (phases.length > 0) marks.phase = phases.sort((a, b) => b.at - a.at)[0]!.phase;
  return marks;
}
