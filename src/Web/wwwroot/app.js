// Marks the document once the interactive Blazor circuit is up, so tests and tools can wait for it.
window.kubeha = {
    circuitReady: function () { document.documentElement.setAttribute("data-circuit", "ready"); }
};

// The theme the operator picked, kept across reloads in this browser ("dark" or "light"; null: follow the system).
window.kubeha.theme = {
    get: function () { try { return localStorage.getItem("kubeha.theme"); } catch { return null; } },
    set: function (value) { try { localStorage.setItem("kubeha.theme", value); } catch { /* private mode: not kept */ } }
};

// Run log: tells the page whether the user is at the end of the log (auto-scroll) or scrolled up (paused).
window.kubeha.logFollow = function (el, dotnet) {
    let following = true;
    el.addEventListener("scroll", function () {
        const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 24;
        if (atEnd !== following) {
            following = atEnd;
            dotnet.invokeMethodAsync("SetFollowing", atEnd);
        }
    }, { passive: true });
};
window.kubeha.logScrollToEnd = function (el) { if (el) { el.scrollTop = el.scrollHeight; } };
window.kubeha.copyText = function (text) { return navigator.clipboard.writeText(text); };
