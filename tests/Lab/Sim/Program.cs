using KubeHa.Lab.Sim;

return args.Length == 0 ? Usage() : args[0] switch
{
    "kubeadm" => await Kubeadm.RunAsync(args[1..]),
    "apiserver" => await ApiServer.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: khsim kubeadm ARGS... | khsim apiserver --cluster-dir DIR --bind IP --node NAME --pki DIR");
    return 2;
}
