return Terminal.NanoInspector.Cli.Run(args, Console.Out);
