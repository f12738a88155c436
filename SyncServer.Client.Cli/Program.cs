using SyncServer.Client.Cli;

return await new ClientCommandLine(Console.Out, Console.Error).Root.Parse(args).InvokeAsync();
