package dev.recur.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The floors of {@code docs/architecture.md}, as rules over Recur's compiled classes (tests excluded): each floor
 * may use only the floors below it (the optional ONNX module sits beside train, used by the CLI alone, so no
 * library floor may reach it), no package cycle appears anywhere, and the CLI holds no training logic. A new
 * family package needs no edit here: whatever sits under {@code dev.recur.layers} outside the contract, model and
 * registry packages is a family.
 */
class ArchitectureTest {
    private static final String[] CONTRACTS = {"dev.recur.layers.lm..", "dev.recur.layers.block..",
        "dev.recur.layers.tokenizer.."};
    private static final String[] MODELS = {"dev.recur.layers.hybrid..", "dev.recur.layers.stack.."};
    private static final String REGISTRY = "dev.recur.layers.registry..";

    private static JavaClasses classes;

    @BeforeAll
    static void importRecur() {
        // Test classes also arrive inside the core's test jar, which the predefined option does not recognise.
        ImportOption noTestJars = location -> !location.contains("-tests.jar");
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(noTestJars).importPackages("dev.recur");
    }

    @Test
    void everyFloorUsesOnlyTheFloorsBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.recur..")
                .layer("core").definedBy("dev.recur.core..")
                .layer("contracts").definedBy(CONTRACTS)
                .layer("families").definedBy(resideInAPackage("dev.recur.layers..")
                        .and(not(resideInAnyPackage(CONTRACTS))).and(not(resideInAnyPackage(MODELS)))
                        .and(not(resideInAPackage(REGISTRY))))
                .layer("models").definedBy(MODELS)
                .layer("registries").definedBy(REGISTRY)
                .layer("tasks").definedBy("dev.recur.tasks..")
                .layer("train").definedBy("dev.recur.train..")
                .layer("onnx").definedBy("dev.recur.onnx..")
                .layer("cli").definedBy("dev.recur.cli..")
                .whereLayer("core").mayNotAccessAnyLayer()
                .whereLayer("contracts").mayOnlyAccessLayers("core")
                .whereLayer("families").mayOnlyAccessLayers("core", "contracts")
                .whereLayer("models").mayOnlyAccessLayers("core", "contracts", "families")
                .whereLayer("registries").mayOnlyAccessLayers("core", "contracts", "families", "models")
                .whereLayer("tasks").mayOnlyAccessLayers("core")
                .whereLayer("train").mayOnlyAccessLayers("core", "contracts", "families", "models", "registries",
                        "tasks")
                .whereLayer("onnx").mayOnlyAccessLayers("core", "contracts", "families", "models", "registries")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.recur.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noHybridUsesAnotherHybrid() {
        slices().matching("dev.recur.layers.hybrid.(*)..").should().notDependOnEachOther().check(classes);
    }

    @Test
    void theCliHoldsNoTrainingLogic() {
        noClasses().that().resideInAPackage("dev.recur.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.recur.train.optim..",
                        "dev.recur.train.schedule..", "dev.recur.train.checkpoint..")
                .because("the CLI parses, prints and calls recur-train's run API; the loop lives in recur-train")
                .check(classes);
        // A benchmark times a training step's backward pass; nothing else in the CLI runs one.
        noClasses().that().resideInAPackage("dev.recur.cli..").and().resideOutsideOfPackage("dev.recur.cli.bench..")
                .should().callMethod(Tensor.class, "backward")
                .because("gradients are taken inside recur-train's loop, not by the CLI")
                .check(classes);
    }
}
