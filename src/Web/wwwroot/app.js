// Marks the document once the interactive Blazor circuit is up, so tests and tools can wait for it.
window.kubeha = {
    circuitReady: function () { document.documentElement.setAttribute("data-circuit", "ready"); }
};
