# Realm guests: freestanding AArch64 programs on the runtime of guests/rt,
# cross-compiled with aarch64-linux-gnu-gcc. One definition of how a guest is
# built, used by guests/ and by every test or benchmark with guests of its own.
find_program(RK_GUEST_CC aarch64-linux-gnu-gcc REQUIRED)
find_program(RK_GUEST_OBJCOPY aarch64-linux-gnu-objcopy REQUIRED)

set(RK_GUEST_RT_DIR ${CMAKE_SOURCE_DIR}/guests/rt)
set(RK_GUEST_RT ${RK_GUEST_RT_DIR}/start.S ${RK_GUEST_RT_DIR}/vectors.S ${RK_GUEST_RT_DIR}/rt.c)
# -ffile-prefix-map keeps the images (and so the realm's RIM) independent of
# where the source tree is checked out.
set(RK_GUEST_CFLAGS -std=c11 -O2 -g -ffreestanding -nostdlib -nostartfiles -static
	-fno-pic -no-pie -mgeneral-regs-only -mstrict-align -fno-stack-protector
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wundef
	-ffile-prefix-map=${CMAKE_SOURCE_DIR}/=
	-I${CMAKE_SOURCE_DIR}/include -I${RK_GUEST_RT_DIR}
	-Wl,--build-id=none -Wl,--no-warn-rwx-segments)

# rk_add_guest(NAME SOURCES src... [LINK_SCRIPT ld] [OUT var])
# Builds ${CMAKE_CURRENT_BINARY_DIR}/NAME.elf and NAME.bin from the runtime
# and the sources, linked with LINK_SCRIPT (default guests/rt/link.ld), and
# appends both files to the list variable OUT in the caller's scope.
function(rk_add_guest name)
	cmake_parse_arguments(G "" "LINK_SCRIPT;OUT" "SOURCES" ${ARGN})
	if(NOT G_LINK_SCRIPT)
		set(G_LINK_SCRIPT ${RK_GUEST_RT_DIR}/link.ld)
	endif()
	set(elf ${CMAKE_CURRENT_BINARY_DIR}/${name}.elf)
	set(bin ${CMAKE_CURRENT_BINARY_DIR}/${name}.bin)
	add_custom_command(OUTPUT ${elf} ${bin}
		COMMAND ${RK_GUEST_CC} ${RK_GUEST_CFLAGS} -T ${G_LINK_SCRIPT} -o ${elf}
			${RK_GUEST_RT} ${G_SOURCES}
		COMMAND ${RK_GUEST_OBJCOPY} -O binary ${elf} ${bin}
		DEPENDS ${G_SOURCES} ${RK_GUEST_RT} ${RK_GUEST_RT_DIR}/rt.h ${G_LINK_SCRIPT}
		COMMENT "guest ${name}")
	if(G_OUT)
		set(${G_OUT} ${${G_OUT}} ${elf} ${bin} PARENT_SCOPE)
	endif()
endfunction()
