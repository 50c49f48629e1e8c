namespace KubeHa.Core.Clusters.Health;

/// <summary>Whether a host holds an address, from <c>ip -o addr show</c> ("3: eth0    inet 10.0.0.10/24 scope global secondary eth0 ...").</summary>
public static class VipHolder
{
    public static bool Holds(string ipAddrOutput, string address)
    {
        foreach (var line in ipAddrOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = line.Split([' ', '\t', '\\'], StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < words.Length - 1; i++)
            {
                if (words[i] is "inet" or "inet6" && string.Equals(words[i + 1].Split('/')[0], address, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
