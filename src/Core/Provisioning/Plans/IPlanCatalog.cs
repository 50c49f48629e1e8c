namespace KubeHa.Core.Provisioning.Plans;

/// <summary>Plans by key; runs store the key and the executor asks for the plan again on every attempt.</summary>
public interface IPlanCatalog
{
    /// <exception cref="ArgumentOutOfRangeException">Unknown key.</exception>
    Plan Get(string key);
}
