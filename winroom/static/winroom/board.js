// Pipeline board: drag a card onto another stage; the server applies the stage rules.
(function () {
  "use strict";
  function csrf() {
    const m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    let dragged = null;
    const box = document.getElementById("board-message");
    document.querySelectorAll(".board-card").forEach(function (card) {
      card.addEventListener("dragstart", function (e) {
        dragged = card;
        e.dataTransfer.setData("text/plain", card.dataset.deal);
      });
    });
    document.querySelectorAll(".board-col").forEach(function (col) {
      col.addEventListener("dragover", function (e) { e.preventDefault(); col.classList.add("drop"); });
      col.addEventListener("dragleave", function () { col.classList.remove("drop"); });
      col.addEventListener("drop", function (e) {
        e.preventDefault();
        col.classList.remove("drop");
        if (!dragged) return;
        const origin = dragged.parentElement;
        const card = dragged;
        col.querySelector(".board-drop").appendChild(card);
        const body = new URLSearchParams({ stage: col.dataset.stage });
        fetch(card.dataset.advance, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrf(), "X-Requested-With": "fetch", Accept: "application/json" },
          body: body,
        }).then(function (r) { return r.json(); }).then(function (data) {
          if (!data.ok) {
            origin.appendChild(card); // snap back
            box.textContent = data.message;
            box.classList.remove("d-none");
          } else {
            box.classList.add("d-none");
          }
        }).catch(function () { origin.appendChild(card); });
      });
    });
  });
})();
