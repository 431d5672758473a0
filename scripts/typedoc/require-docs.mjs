// @ts-check
/**
 * A TypeDoc plugin that warns about every public API symbol without TSDoc (with
 * `treatWarningsAsErrors`, a failed `pnpm docs:api`). It replaces TypeDoc's `notDocumented`
 * validation, which also asks for a comment on every member of every anonymous type — including
 * the dozens of properties TypeScript infers for each exported zod schema — so its output buried
 * the real gaps.
 *
 * Required: a comment on every export of an entry point (functions, classes, interfaces, types,
 * variables) and on every member of an exported class, interface or enum, where the member is
 * declared in one of our packages. Not required:
 * - members of anonymous object types (inferred schema types, inline return types): their owner
 *   carries the documentation;
 * - inherited members (documented where they are declared);
 * - properties typed as a single literal (`type: 'text-delta'`, an error's `name`): union
 *   discriminants document themselves.
 */
import { Application, DeclarationReflection, LiteralType, ReflectionKind } from 'typedoc';

/** The packages whose symbols must be documented. */
const documentedPackages = new Set(['@claw/channel-kit', '@claw/provider-kit', '@claw/core']);

const topLevelKinds =
  ReflectionKind.Variable |
  ReflectionKind.Function |
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.TypeAlias |
  ReflectionKind.Enum |
  ReflectionKind.Namespace;
const memberKinds =
  ReflectionKind.Property | ReflectionKind.Method | ReflectionKind.Accessor | ReflectionKind.EnumMember;
const ownerKinds = ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.Enum;

/** @param {DeclarationReflection} reflection */
function hasDocumentation(reflection) {
  if (reflection.hasComment()) return true;
  const signatures = [
    ...(reflection.signatures ?? []),
    ...(reflection.getSignature ? [reflection.getSignature] : []),
    ...(reflection.setSignature ? [reflection.setSignature] : []),
  ];
  return signatures.some((signature) => signature.hasComment());
}

/**
 * @param {DeclarationReflection} reflection
 * @param {import('typedoc').ProjectReflection} project
 */
function requiresDocumentation(reflection, project) {
  const symbol = project.getSymbolIdFromReflection(reflection);
  if (!symbol || !documentedPackages.has(symbol.packageName)) return false;
  const parent = reflection.parent;
  if (reflection.kindOf(topLevelKinds))
    return parent?.kindOf(ReflectionKind.SomeModule | ReflectionKind.Project) === true;
  if (!reflection.kindOf(memberKinds) || !parent?.kindOf(ownerKinds)) return false;
  if (reflection.inheritedFrom) return false;
  if (reflection.kindOf(ReflectionKind.Property) && reflection.type instanceof LiteralType) return false;
  // A member copied by a mapped type (`interface X extends Omit<Y, 'a'>`) is declared with Y.
  const parentSymbol = project.getSymbolIdFromReflection(parent);
  return parentSymbol === undefined || parentSymbol.packagePath === symbol.packagePath;
}

/** @param {Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    let checked = 0;
    for (const reflection of Object.values(project.reflections)) {
      if (!(reflection instanceof DeclarationReflection)) continue;
      if (!requiresDocumentation(reflection, project)) continue;
      checked++;
      if (!hasDocumentation(reflection)) {
        const symbol = project.getSymbolIdFromReflection(reflection);
        app.logger.warn(
          `${reflection.getFriendlyFullName()} (${ReflectionKind[reflection.kind]}) has no TSDoc comment ` +
            `(declared in ${symbol?.packageName}/${symbol?.packagePath})`,
        );
      }
    }
    app.logger.info(`require-docs: ${checked} public symbols and members checked for TSDoc`);
  });
}
