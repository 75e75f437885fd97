using Sciot.Client.Commands;

return args.FirstOrDefault() switch
{
    "generate-models" => GenerateModelsCommand.Run(args),
    _ => 1,
};
