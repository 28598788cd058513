// "Use my position": with the resident's permission, the browser's position goes into the
// search form's lat/lon fields and the form is sent; nothing is stored. Without JavaScript
// (or permission) the place name field does the same.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-near-me]");
  if (!button || !("geolocation" in navigator)) return;
  const form = button.closest("form");
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition((position) => {
      for (const [name, value] of [["lat", position.coords.latitude], ["lon", position.coords.longitude]]) {
        let field = form.querySelector(`input[name="${name}"]`);
        if (!field) {
          field = document.createElement("input");
          field.type = "hidden";
          field.name = name;
          form.append(field);
        }
        field.value = value.toFixed(4);
      }
      form.querySelector('input[name="near"]').value = "";
      form.requestSubmit();
    });
  });
});
