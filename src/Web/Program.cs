using KubeHa.Core.Persistence;
using KubeHa.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddKubeHaWeb();

var app = builder.Build();
await app.Services.InitializeKubeHaDatabaseAsync();
app.UseKubeHaWeb();
await app.RunAsync();

/// <summary>Entry point; public so functional tests can start the real app.</summary>
public partial class Program;
