// A modular application whose Java migration breaks the rules: it commits.
module com.example.broken {
    requires org.lockstep;

    provides org.lockstep.JavaMigration with
            com.example.broken.V2CommitsEarly;
}
