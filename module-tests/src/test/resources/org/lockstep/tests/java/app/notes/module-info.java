// A modular application that ships a Java migration as a service, as the README shows.
module com.example.notes {
    requires org.lockstep;

    provides org.lockstep.JavaMigration with
            com.example.notes.V2SplitNames;
}
