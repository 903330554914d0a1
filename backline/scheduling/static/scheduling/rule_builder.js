// The repeat builder's "Except on" dates: the date picker adds a chosen date to the form and the cross
// takes one off; the server then reads the whole pattern back (the summary, and the dates as it writes
// them, arrive by htmx from /me/availability/patterns/summary/). No rule about patterns lives here.
(function () {
  function changed(form) {
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-role=exdate-add]");
    const remove = event.target.closest("[data-role=exdate-remove]");
    if (add) {
      const box = add.closest("[data-exdates]");
      const picker = box.querySelector("[data-role=exdate-picker]");
      if (!picker.value) { picker.focus(); return; }
      const chip = document.createElement("li");
      chip.className = "badge rounded-pill text-bg-light border fw-normal fs-6";
      chip.dataset.testid = "exdate-chip";
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "exdates";
      input.value = picker.value;
      chip.append(input, "…");  // the server writes the day back in words a moment later
      box.querySelector("#exdate-chips").append(chip);
      picker.value = "";
      changed(add.form);
    } else if (remove) {
      const form = remove.closest("form");
      remove.closest("li").remove();
      changed(form);
    }
  });

  // Enter in the picker adds the day (instead of sending the whole form).
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("[data-role=exdate-picker]")) {
      event.preventDefault();
      event.target.closest("[data-exdates]").querySelector("[data-role=exdate-add]").click();
    }
  });

  // Typing in "After … times" or "On [date]" chooses that ending; choosing "Never" empties the count
  // (the server reads a count beside "Never" as "after").
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (box.type === "radio" || !box.closest("[data-role=ends-choice]")) return;
    if (box.value) box.closest("[data-role=ends-choice]").querySelector("input[type=radio]").checked = true;
  });
  document.addEventListener("change", (event) => {
    const radio = event.target;
    if (radio.type === "radio" && radio.value === "never" && radio.checked && radio.closest("[data-role=ends-choice]")) {
      radio.form.querySelectorAll("[data-role=ends-choice] input[type=number]").forEach((box) => { box.value = ""; });
    }
  });

  // A pattern not complete yet answers 422 with what is missing: show that too.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 422 && event.detail.target.id === "rule-summary") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
