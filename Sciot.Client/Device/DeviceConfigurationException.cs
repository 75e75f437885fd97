namespace Sciot.Client.Device;

/// <summary>The device is configured so that it cannot run (e.g. its fallback model is not bundled): the one failure that stops it.</summary>
public sealed class DeviceConfigurationException(string message) : Exception(message);
