// Boots the vendored Swagger UI on the API documentation page (no inline script: the CSP forbids it).
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: target.getAttribute("data-spec-url"),
    domNode: target,
    // Deep links put a link inside each operation's toggle button (nested controls, an accessibility fault).
    deepLinking: false,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false
  });

  // Swagger UI renders parameter lists without labels and code samples that scroll but cannot take
  // the keyboard focus: name each control after its parameter and let code blocks be focused. It also
  // titles the API with a second h1 followed by h3 groups: that title becomes a level-2 heading.
  function repair(root) {
    root.querySelectorAll(".info h1:not([aria-level])").forEach(function (title) {
      title.setAttribute("aria-level", "2");
    });
    root.querySelectorAll("select:not([aria-label]), input:not([aria-label])").forEach(function (control) {
      var row = control.closest("tr");
      var name = row && row.querySelector(".parameter__name");
      if (name) {
        control.setAttribute("aria-label", name.textContent.replace("*", "").trim());
      }
    });
    root.querySelectorAll("pre.microlight:not([tabindex]), .highlight-code pre:not([tabindex])").forEach(function (block) {
      block.setAttribute("tabindex", "0");
    });
  }
  new MutationObserver(function () { repair(target); }).observe(target, { childList: true, subtree: true });
})();
