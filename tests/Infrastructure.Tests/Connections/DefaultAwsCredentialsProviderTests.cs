using SocketRelay.Infrastructure.Connections;

namespace SocketRelay.Infrastructure.Tests.Connections;

public class DefaultAwsCredentialsProviderTests
{
    private static readonly string[] LambdaVariables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

    [Fact]
    public async Task Reads_the_credentials_lambda_puts_in_environment_variables()
    {
        var saved = LambdaVariables.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "ASIAENVEXAMPLE");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "env-secret");
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "env-token");
            using var provider = new DefaultAwsCredentialsProvider();

            var credentials = await provider.GetCredentialsAsync(CancellationToken.None);

            Assert.Equal(("ASIAENVEXAMPLE", "env-secret", "env-token"), (credentials.AccessKey, credentials.SecretKey, credentials.Token));
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
