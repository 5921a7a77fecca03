// What CSS alone cannot do for the layout on a narrow screen (a static file, as the
// Content-Security-Policy asks). Loaded in <head>, not deferred, so that the class that
// folds the menu is set before the first paint; without JavaScript it is never set, and
// the header's links show, wrapped, on every screen.
document.documentElement.classList.add("js-menu");

// The header's menu: folded behind its button on a narrow screen; Escape folds it again.
function setUpMenu() {
  const button = document.querySelector(".menu-button");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  const show = (open) => {
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  };
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      show(false);
      button.focus();
    }
  });
}

// A table wider than its card scrolls inside its box (.table-scroll; .scroll: a list taller
// than its place): the box then takes the keyboard's focus (arrow keys scroll it) and is
// named by its card's heading; a box whose content fits does not.
function setUpScrollBoxes() {
  const heading = (box) => box.closest("section, .card, main").querySelector("h1, h2, h3");
  const mark = (box, index) => {
    const title = heading(box);
    if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) {
      box.setAttribute("tabindex", "0");
      if (title) {
        title.id ||= `table-heading-${index}`;
        box.setAttribute("role", "region");
        box.setAttribute("aria-labelledby", title.id);
      }
    } else {
      for (const name of ["tabindex", "role", "aria-labelledby"]) box.removeAttribute(name);
    }
  };
  const boxes = [...document.querySelectorAll(".table-scroll, .scroll")];
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) mark(entry.target, boxes.indexOf(entry.target));
  });
  for (const box of boxes) observer.observe(box);
}

document.addEventListener("DOMContentLoaded", () => {
  setUpMenu();
  setUpScrollBoxes();
});
