// The media library's preview: the mark follows the focus fields, and a click on the picture
// sets them (the page works without this: the fields are plain numbers).
document.addEventListener("DOMContentLoaded", () => {
  const preview = document.querySelector("[data-focus-preview]");
  const x = document.getElementById("id_focus_x");
  const y = document.getElementById("id_focus_y");
  if (!preview || !x || !y) return;
  const mark = preview.querySelector(".photo-preview__focus");
  const place = () => {
    mark.style.left = `${Math.min(100, Math.max(0, Number(x.value) || 0))}%`;
    mark.style.top = `${Math.min(100, Math.max(0, Number(y.value) || 0))}%`;
  };
  x.addEventListener("input", place);
  y.addEventListener("input", place);
  preview.querySelector("img").addEventListener("click", (event) => {
    const box = event.target.getBoundingClientRect();
    x.value = Math.round(((event.clientX - box.left) / box.width) * 100);
    y.value = Math.round(((event.clientY - box.top) / box.height) * 100);
    place();
  });
});
