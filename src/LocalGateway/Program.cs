Console.Error.WriteLine("SocketRelay local gateway: not wired yet");
return 1;
