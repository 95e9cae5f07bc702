namespace SocketRelay.Infrastructure.LambdaRuntime;

/// <summary>
/// The function as the runtime loop sees it, whatever its event type: one <see cref="Invocation"/>
/// (raw payload, deadline, ids) in, the raw response body out (posted to
/// <c>…/invocation/{id}/response</c>). Throw <see cref="InvocationErrorException"/> to report the
/// invocation as an error of a chosen type; any other exception is reported as <c>Runtime.Unhandled</c>.
/// The counterpart of <c>LambdaBootstrapHandler</c> in Amazon.Lambda.RuntimeSupport.
/// </summary>
public delegate Task<byte[]> InvocationHandler(Invocation invocation, CancellationToken cancellationToken);
