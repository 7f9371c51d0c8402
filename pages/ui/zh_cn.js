// Streamlit has no locale: its own texts (the uploader's "Upload", toolbar tooltips, "Choose an
// option", Plotly's modebar) are English. This script, run once per browser tab, gives the page
// lang="zh-CN" and puts Chinese in their place wherever they appear, now or later; a text not
// listed stays as it is (tests/test_browser_chinese.py walks every page and names any left).
(() => {
  if (window.__zhCN) return;
  window.__zhCN = true;
  document.documentElement.lang = "zh-CN";
  const exact = new Map(Object.entries(__EXACT__));
  const patterns = __PATTERNS__.map(([source, target]) => [new RegExp(source), target]);
  // aria-valuetext: a date field's month read out as "11 – November".
  const ATTRIBUTES = ["aria-label", "title", "placeholder", "data-title", "aria-valuetext"];
  const translated = (text) => {
    const key = text.trim();
    if (!key || !/[A-Za-z]/.test(key)) return null;
    if (exact.has(key)) return text.replace(key, exact.get(key));
    for (const [pattern, target] of patterns) {
      if (pattern.test(key)) return text.replace(key, key.replace(pattern, target));
    }
    return null;
  };
  const fixText = (node) => {
    const parent = node.parentElement;
    if (!parent || parent.closest('[translate="no"], script, style, noscript')) return;
    const zh = translated(node.nodeValue);
    if (zh !== null) node.nodeValue = zh;
  };
  const fixAttributes = (element) => {
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      const zh = value && translated(value);
      if (zh) element.setAttribute(name, zh);
    }
  };
  const fixTree = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixAttributes(root);
    for (const element of root.querySelectorAll(ATTRIBUTES.map((name) => `[${name}]`).join(", "))) {
      fixAttributes(element);
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) fixText(walker.currentNode);
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "characterData") fixText(change.target);
      else if (change.type === "attributes") fixAttributes(change.target);
      else change.addedNodes.forEach(fixTree);
    }
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true,
                                        attributes: true, attributeFilter: ATTRIBUTES});
  fixTree(document.body);
  document.title = document.title.replace(/ · Streamlit$/, "");
})();
