package org.lockstep.tests.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.lockstep.Migrator;
import org.lockstep.cli.LockstepTool;

/** Pins the modules' descriptors: what they are called, what they export and require. */
final class ModuleDescriptorTest {

    @Test
    void coreIsNamedOrgLockstepExportsOnlyItsApiAndRequiresOnlyJavaSql() {
        ModuleDescriptor core = descriptor(Migrator.class, "org.lockstep");

        assertEquals(
                Set.of("org.lockstep"),
                core.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(core.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
        assertTrue(core.opens().isEmpty(), "core opens " + core.opens());
        assertEquals(
                Set.of("java.base", "java.sql"),
                core.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertTrue(
                core.packages().stream()
                        .filter(p -> !p.equals("org.lockstep"))
                        .allMatch(p -> p.startsWith("org.lockstep.internal.")),
                "stray packages: " + core.packages());
        assertEquals(Set.of("org.lockstep.JavaMigration", "org.lockstep.ConnectionInitializer"), core.uses());
        assertTrue(core.provides().isEmpty(), "core provides " + core.provides());
    }

    @Test
    void commandModuleExportsNothingAndProvidesTheLockstepToolProvider() {
        ModuleDescriptor cli = descriptor(LockstepTool.class, "org.lockstep.cli");

        assertTrue(cli.exports().isEmpty(), "cli exports " + cli.exports());
        assertEquals(
                // jdk.unsupported for sun.misc.Signal: the command rolls back on SIGTERM and SIGINT.
                new TreeSet<>(Set.of(
                        "java.base",
                        "java.logging",
                        "java.sql",
                        "jdk.unsupported",
                        "org.lockstep",
                        "org.xerial.sqlitejdbc")),
                cli.requires().stream()
                        .map(ModuleDescriptor.Requires::name)
                        .collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(1, cli.provides().size());
        ModuleDescriptor.Provides provides = cli.provides().iterator().next();
        assertEquals("java.util.spi.ToolProvider", provides.service());
        assertEquals(java.util.List.of("org.lockstep.cli.LockstepTool"), provides.providers());
    }

    private static ModuleDescriptor descriptor(Class<?> member, String name) {
        Path location;
        try {
            location = Path.of(
                    member.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        ModuleReference reference = ModuleFinder.of(location).findAll().stream()
                .findFirst()
                .orElseThrow(() -> new AssertionError("no module at " + location));
        ModuleDescriptor descriptor = reference.descriptor();
        assertEquals(name, descriptor.name());
        assertTrue(!descriptor.isAutomatic() && !descriptor.isOpen(), name + " must be an explicit, closed module");
        return descriptor;
    }
}
