/**
 * Every sentence gradstep writes for a reader, in English: the source that
 * zh.ts, ja.ts and de.ts translate key by key. ICU MessageFormat: `{name}`
 * an argument, `{n, plural, one {…} other {…}}` a count's forms, `#` the count.
 * Terms follow docs/glossary/*.tsv.
 */
export default {
  // Activations and losses, by their rule's name (engine/activations.ts, engine/losses.ts).
  "activation.identity": "identity",
  "activation.relu": "ReLU",
  "activation.sigmoid": "sigmoid",
  "activation.tanh": "tanh",
  "activation.softmax": "softmax",
  "activation.leaky_relu": "leaky ReLU",
  "activation.elu": "ELU",
  "activation.softplus": "softplus",
  "activation.silu": "SiLU (swish)",
  "activation.gelu": "GELU",
  "activation.gelu_tanh": "GELU (tanh approximation)",
  "loss.half_squared_error": "half squared error",
  "loss.mse": "mean squared error",
  "loss.cross_entropy": "cross-entropy",
  "loss.binary_cross_entropy": "binary cross-entropy",
  "loss.mae": "mean absolute error",
  "loss.huber": "Huber loss",

  // The worked solution.
  "solution.title": "Worked solution",
  "solution.network": "Network: {inputs, plural, one {# input} other {# inputs}} → {layers}.",
  "solution.layerUnits": "{units} {activation}",
  "solution.layerArrow": " → ",
  "solution.sharedBias": "layer {layer} shares one bias",
  "solution.noBias": "layer {layer} has no bias",
  "solution.biasNotes": " {notes}.",
  "solution.noteSeparator": "; ",
  "solution.loss": "Loss: {loss}: {formula}.",
  "solution.lossBatch": "Loss: {loss}, for the first sample: {formula}; the loss {reduction, select, mean {averages} other {sums}} the {batch} samples' losses.",
  "solution.noUpdate": "One forward and backward pass, no update.",
  "solution.descent": "{steps, plural, one {# step} other {# steps}} of gradient descent with learning rate {eta}: {rule}.",
  "solution.outputLayer": "Output layer ({activation}):",
  "solution.hiddenLayer": "Hidden layer {layer} ({activation}):",
  "solution.forwardAndBackward": "Forward and backward pass",
  "solution.step": "Step {step}",
  "solution.stepOf": "Step {step} of {count}",
  "solution.forward": "Forward pass",
  "solution.matrixRows": "Rows are samples; {X} holds the inputs.",
  "solution.lossHeading": "Loss",
  "solution.backward": "Backward pass",
  "solution.inputGradient": "Gradient with respect to the input",
  "solution.update": "Update",
  "solution.after": "After {steps, plural, one {# step} other {# steps}}",
  "solution.footer": "Worked by gradstep in float64; numbers shown to {decimals} decimal places.",

  // The checker's report.
  "check.quantity": "quantity",
  "check.claimed": "claimed",
  "check.correct": "correct",
  "check.verdict": "verdict",
  "check.agrees": "✓ agrees",
  "check.disagrees": "✗ disagrees",
  "check.summary": "{agree} of {total} agree.",
  "check.summaryWrong": "{agree} of {total} agree; {wrong} disagree.",
  "check.wrong": "✗ {name} ({path}): you wrote {wrote}, the value is {value}",
  "check.likelySlip": "Likely slip: {slip}.",

  // Why a hand value is wrong (check/slip.ts).
  "slip.sign": "the sign is wrong: {name} = {value}",
  "slip.carriedForward": "follows from earlier values carried forward: {sources}",
  "slip.carriedSource": "{name} = {wrote} (exact {exact})",
  "slip.sourceSeparator": ", ",
  "slip.missingTerm": "the sum over paths misses {dropped, plural, one {1 of} other {# of}} its {terms} terms ({values})",
  "slip.rounded": "follows from {name} rounded to {rounded} (exact {exact}) and carried forward",
  "slip.batchAverage": "the 1/{batch} of the batch average is missing",
  "slip.otherSample": "this is the value for sample {sample}: {name}",
  "slip.otherQuantity": "this is the value of {name}",
  "slip.transposedDigits": "two digits swapped: {wrote} for {exact}",
  "slip.miscopiedDigit": "one digit differs: {wrote} for {exact}",
  "slip.droppedDigit": "a digit dropped: {wrote} for {exact}",
  "slip.extraDigit": "a digit too many: {wrote} for {exact}",
  // The CSV file's columns (render/csv.ts).
  "csv.path": "path",
  "csv.name": "name",
  "csv.value": "value",
} as const;
