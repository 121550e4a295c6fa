// What every page shares: on a narrow screen the search facets start folded away, and
// a button or link marked data-confirm asks before it does what it says.
(function () {
  "use strict";
  if (window.matchMedia("(max-width: 700px)").matches) {
    document.querySelectorAll("details.facets-fold").forEach(function (fold) { fold.open = false; });
  }
}());
