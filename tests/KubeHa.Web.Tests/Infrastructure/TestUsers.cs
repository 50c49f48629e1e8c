using KubeHa.Web.Identity;
using KubeHa.Web.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace KubeHa.Web.Tests.Infrastructure;

/// <summary>Creates users with a role and API tokens through the app's own services.</summary>
public static class TestUsers
{
    public const string Password = "a-long-test-password-1";

    public static async Task CreateAsync(KubeHaAppFactory app, string userName, string role)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KubeHaUser>>();
        var user = new KubeHaUser { UserName = userName };
        Check(await users.CreateAsync(user, Password));
        Check(await users.AddToRoleAsync(user, role));
    }

    public static async Task<string> TokenAsync(KubeHaAppFactory app, string owner, string name = "test")
    {
        using var scope = app.Services.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<ApiTokenStore>().CreateAsync(name, owner, "test", default);
        return created.Value?.Token ?? throw new InvalidOperationException(string.Join(" ", created.FieldErrors.Values));
    }

    public static HttpClient BearerClient(KubeHaAppFactory app, string token)
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
