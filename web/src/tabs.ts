/**
 * Tabs as the ARIA pattern has them: buttons with role="tab" in a
 * role="tablist", each controlling a role="tabpanel"; arrow keys, Home and
 * End move between tabs.
 */
export function setUpTabs(list: HTMLElement, onShow?: (panelId: string) => void): (panelId: string) => void {
  const tabs = [...list.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const show = (panelId: string) => {
    for (const tab of tabs) {
      const selected = tab.getAttribute("aria-controls") === panelId;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute("aria-controls") ?? "");
      if (panel) panel.hidden = !selected;
    }
    onShow?.(panelId);
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => {
      show(tab.getAttribute("aria-controls") ?? "");
    });
    tab.addEventListener("keydown", (event) => {
      const k = tabs.indexOf(tab);
      const next = { ArrowRight: k + 1, ArrowLeft: k - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      event.stopPropagation();
      const target = tabs[(next + tabs.length) % tabs.length]!;
      target.focus();
      show(target.getAttribute("aria-controls") ?? "");
    });
  }
  const first = tabs.find((t) => t.getAttribute("aria-selected") === "true") ?? tabs[0];
  if (first) show(first.getAttribute("aria-controls") ?? "");
  return show;
}
