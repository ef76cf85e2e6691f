#!/usr/bin/env bash
# The library as its users get it (docs/API.md): packs Aegis.Emu.Machine into build/packages, then restores and runs
# Tests.Package (and, from it, samples/embed) against that package, not against the projects. The restore goes to a
# private packages folder under build/, so a package of the same version restored earlier (an older build) is never
# used; the other packages come from the user's NuGet cache when it has them.
# The two projects' obj/ go too: their restore state names the previous package's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf build/packages build/package-restore Tests.Package/obj Tests.Package/bin samples/embed/obj samples/embed/bin
dotnet pack Aegis.Emu.Machine/Aegis.Emu.Machine.csproj -c Release -o build/packages --nologo -v q
export NUGET_PACKAGES="$PWD/build/package-restore"
export RestoreFallbackFolders="$HOME/.nuget/packages"
dotnet test Tests.Package/Tests.Package.csproj -c Release --nologo --logger "console;verbosity=normal" "$@"
