using KubeHa.Core.Persistence;
using KubeHa.Web;
using KubeHa.Web.Identity;
using KubeHa.Web.Tokens;

var builder = WebApplication.CreateBuilder(args);
builder.AddKubeHaWeb();

var app = builder.Build();
await app.Services.InitializeKubeHaDatabaseAsync();
await app.Services.InitializeKubeHaIdentityAsync();
await app.Services.InitializeKubeHaBootstrapTokenAsync();
app.UseKubeHaWeb();
await app.RunAsync();

/// <summary>Entry point; public so functional tests can start the real app.</summary>
public partial class Program;
