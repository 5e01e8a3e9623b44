// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("[data-autosubmit]")) {
    el.addEventListener("change", () => el.form.submit());
  }
  // One click, one request: a double click must not fire a step twice.
  for (const form of document.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", (event) => {
      // A step that ends a case (withdraw, reject, cancel) asks first; the reason is required.
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
        event.preventDefault();
        return;
      }
      for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = true;
    });
  }
});
