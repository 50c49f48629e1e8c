using Microsoft.Extensions.Hosting;
using KubeHa.Agent;
using KubeHa.Core.Persistence;

// A standalone agent: runs provisioning and host-check jobs. Web embeds the same worker by default.
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddKubeHaAgent();

using var host = builder.Build();
await host.Services.InitializeKubeHaDatabaseAsync();
await host.RunAsync();
