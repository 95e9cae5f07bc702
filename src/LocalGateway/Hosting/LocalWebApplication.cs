using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace SocketRelay.LocalGateway.Hosting;

/// <summary>
/// Where every web host of the local gateway starts (the WebSocket and HTTP APIs, each Runtime API):
/// Kestrel and routing, with no configuration sources and no logging providers of its own.
/// </summary>
/// <remarks>
/// The gateway reads its configuration itself (<c>Program.cs</c>) and each caller adds its logging.
/// ASP.NET Core's slim builder would also read <c>appsettings.json</c> from its content root, the
/// working directory, and watch that directory for changes: an inotify watch for each of its
/// subdirectories, and an event to handle for every write the queue makes under <c>./.socketrelay</c>.
/// </remarks>
public static class LocalWebApplication
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        return builder;
    }
}
