// The request page while matching runs: ask the server every few seconds whether the
// request's people still wait for the matching engine, and reload the page once they do
// not, so that the candidates appear without a manual reload. A static file, as the
// Content-Security-Policy asks (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const marker = document.querySelector("[data-matching-url]");
  if (!marker) return;
  const url = marker.dataset.matchingUrl;
  const ask = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok && !(await response.json()).pending) {
        window.location.reload();
        return;
      }
    } catch (error) {
      // A network hiccup: ask again at the next turn.
    }
    window.setTimeout(ask, 3000);
  };
  window.setTimeout(ask, 2000);
});
