// unseen's only script: place autocomplete, a preview of how a date is understood, review keys,
// and the language menu. Same-origin fetches only (the Content-Security-Policy allows no other).
"use strict";
(function () {
  function debounce(fn, ms) {
    let timer = null;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }
  async function getJSON(url) {
    const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    return r.ok ? r.json() : null;
  }
  document.querySelectorAll("[data-places]").forEach((input) => {
    const list = document.getElementById(input.dataset.places);
    input.addEventListener("input", debounce(async () => {
      const q = input.value.trim();
      if (!q) return;
      const found = await getJSON("/api/places?q=" + encodeURIComponent(q));
      if (!found) return;
      list.replaceChildren(...found.map((p) => {
        const o = document.createElement("option");
        o.value = p.label.split(" ")[0];
        o.label = p.label;
        o.textContent = p.label;
        return o;
      }));
    }, 200));
  });
  const ko = document.documentElement.lang === "ko";
  document.querySelectorAll("[data-date-preview]").forEach((input) => {
    const out = document.getElementById(input.dataset.datePreview);
    input.addEventListener("input", debounce(async () => {
      const text = input.value.trim();
      if (!text) { out.textContent = ""; return; }
      const d = await getJSON("/api/dates?text=" + encodeURIComponent(text));
      out.textContent = d ? "→ " + (ko ? d.understood_as_ko : d.understood_as) + " (" + d.edtf + ")" : "?";
      out.classList.toggle("bad", !d);
    }, 250));
  });
  document.querySelectorAll("[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll(".js-hide").forEach((el) => { el.hidden = true; });
  const decide = document.querySelector("form[data-keys]");
  if (decide) {
    document.addEventListener("keydown", (e) => {
      if (e.ctrlKey || e.metaKey || e.altKey || /INPUT|TEXTAREA|SELECT/.test(e.target.tagName)) return;
      const button = decide.querySelector('button[data-key="' + e.key.toLowerCase() + '"]');
      if (button) { e.preventDefault(); button.click(); }
    });
  }
})();
