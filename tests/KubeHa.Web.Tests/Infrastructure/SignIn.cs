using System.Text.RegularExpressions;

namespace KubeHa.Web.Tests.Infrastructure;

/// <summary>Signs in the way a browser does: fetch the form (antiforgery token and cookie), post it.</summary>
public static partial class SignIn
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string userName, string password, string returnUrl = "/")
    {
        var form = await client.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        }

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = token.Groups[1].Value,
        });
        return await client.PostAsync("/account/login", content);
    }

    /// <summary>
    /// Signs in with a client that does not keep cookies and returns the Cookie header of the signed-in session
    /// (the antiforgery cookie is carried by hand).
    /// </summary>
    public static async Task<string> PostAsync(HttpClient client, string userName, string password, bool cookieFrom)
    {
        using var formResponse = await client.GetAsync("/account/login");
        var form = await formResponse.Content.ReadAsStringAsync();
        var antiforgeryCookie = string.Join("; ", formResponse.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userName"] = userName,
                ["password"] = password,
                ["returnUrl"] = "/",
                ["__RequestVerificationToken"] = token,
            }),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        using var response = await client.SendAsync(request);
        var auth = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.Select(c => c.Split(';')[0]).Where(c => c.StartsWith("kubeha.auth", StringComparison.Ordinal)).ToList() : [];
        if (!cookieFrom || auth.Count == 0)
        {
            throw new InvalidOperationException($"Sign-in as {userName} failed: {response.StatusCode} {response.Headers.Location}");
        }

        return string.Join("; ", auth);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
