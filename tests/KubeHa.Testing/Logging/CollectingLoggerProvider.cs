using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KubeHa.Testing.Logging;

/// <summary>Keeps every formatted log entry (with scopes and exception text) so tests can assert what was logged.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>"Level Category: message | scopes | exception" per entry.</summary>
    public IReadOnlyList<string> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Collector(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            owner._scopes.ForEachScope((scope, list) => list.Add(scope is IEnumerable<KeyValuePair<string, object>> pairs
                ? string.Join(',', pairs.Select(p => $"{p.Key}={p.Value}"))
                : scope?.ToString() ?? string.Empty), scopes);
            owner._entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {string.Join(" > ", scopes)} | {exception}");
        }
    }
}
