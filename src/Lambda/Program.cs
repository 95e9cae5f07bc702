// The Lambda Runtime API loop lands with the function; until then the bootstrap says so and fails.
await Console.Error.WriteLineAsync("SocketRelay bootstrap: the Lambda runtime loop is not built yet.");
return 1;
