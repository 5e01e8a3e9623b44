// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("[data-autosubmit]")) {
    el.addEventListener("change", () => el.form.submit());
  }
  // Picking a partner of the registry fills the host, its country, city and programme.
  for (const select of document.querySelectorAll("select[data-fill-host]")) {
    select.addEventListener("change", () => {
      const chosen = select.selectedOptions[0];
      if (!chosen || !chosen.value) return;
      const form = select.form;
      const fill = (name, value) => {
        const input = form.elements.namedItem(name);
        if (input && value) input.value = value;
      };
      fill("host_institution", chosen.dataset.name);
      fill("host_country", chosen.dataset.country);
      fill("host_city", chosen.dataset.city);
      fill("programme", chosen.dataset.programme);
    });
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
