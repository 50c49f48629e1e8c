// Each test class starts the real app. Hangfire keeps process-wide statics (its LogProvider wraps the ILoggerFactory
// of the app that configured it last), so two apps alive at once can make one log through the other's disposed
// factory (ObjectDisposedException on enqueue). Test classes therefore run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
