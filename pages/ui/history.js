// Browser history holds pages, not every choice made on one. Streamlit adds a history entry
// each time a page writes its URL parameters, so a page opened from the menu left two or three
// entries of itself (filling in its defaults) and Back stayed on it. A new URL on the same page
// replaces the entry instead: Back returns to the page before, as it was left.
(() => {
  if (window.__pageHistory) return;
  window.__pageHistory = true;
  const push = history.pushState.bind(history);
  history.pushState = (data, unused, url) => {
    const next = url == null ? location : new URL(url, location.href);
    if (next.pathname === location.pathname) return history.replaceState(data, unused, url);
    return push(data, unused, url);
  };
})();
