// The diary card's "Print the card" button (a file, not inline: the pages' CSP allows no inline
// script). Without script the button stays hidden and the page says to use the browser's Print.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
