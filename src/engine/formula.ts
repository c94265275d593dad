/** A formula as plain text (terminal, CSV) and as LaTeX (Markdown, HTML, documents). */
export interface Formula {
  readonly text: string;
  readonly latex: string;
}
