// "Add another person" on forms with a Django formset: copies the formset's empty form
// (a <template> holding it with __prefix__ for the index) and counts it in TOTAL_FORMS.
// Without JavaScript the page still offers its extra forms; this only adds more.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-formset]")) {
    const prefix = button.dataset.formset;
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const most = Number(document.getElementById(`id_${prefix}-MAX_NUM_FORMS`).value);
    const template = document.getElementById(`${prefix}-empty`);
    const list = document.getElementById(`${prefix}-forms`);
    button.hidden = Number(total.value) >= most;
    button.addEventListener("click", () => {
      const index = Number(total.value);
      if (index >= most) return;
      const html = template.innerHTML
        .replaceAll("__prefix__", String(index))
        .replaceAll("__number__", String(index + 1));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      button.hidden = index + 1 >= most;
      list.lastElementChild.querySelector("select, input, textarea").focus();
    });
  }
});
