namespace KubeHa.Core.Remote;

/// <summary>
/// A value could not be placed in a script safely (inside quotes with shell metacharacters, after <c>$</c>, a NUL), or
/// a script was left incomplete. The message names the place in the code's own text, never the value.
/// </summary>
public sealed class ShellScriptException(string message) : Exception(message);
