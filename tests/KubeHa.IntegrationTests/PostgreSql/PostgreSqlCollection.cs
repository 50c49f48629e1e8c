using KubeHa.Testing.PostgreSql;

namespace KubeHa.IntegrationTests.PostgreSql;

/// <summary>One PostgreSQL server for every PostgreSQL test class; each test takes a database of its own.</summary>
[CollectionDefinition("postgresql")]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>;
